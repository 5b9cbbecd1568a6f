"""Shopee Open Platform v2: request signing, an HTTP client, the adapter the sync engine
uses, and a local sandbox that speaks the same protocol."""
