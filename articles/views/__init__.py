"""
Readers' pages, by family: claims (claims.py), countries and pairs (countries.py),
events, actors and sources (browse.py), articles (articles.py), the API and the
downloads (api.py), and the site's own files (site.py). Only published content is ever
shown; drafts answer 404.
"""
