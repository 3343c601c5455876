"""One router per resource: health, assessments (the /v1 API) and the web pages."""
