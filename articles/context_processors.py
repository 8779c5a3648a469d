def canonical_url(request):
    """The page's address without its query string: the canonical URL unless a view knows better."""
    return {"default_canonical_url": request.build_absolute_uri(request.path)}
