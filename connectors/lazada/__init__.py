"""Lazada Open Platform (Lazop) connector: signing, HTTP client, adapter and sandbox."""
