"""The JSON API: versioned packages (`v1/`) over the same selectors, services and permissions as the pages."""
