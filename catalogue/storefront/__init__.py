"""The public storefront: the read model (index), search, filters, facets and listings."""
