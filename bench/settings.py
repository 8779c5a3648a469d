"""
Settings for the benchmark only: the production settings (everything still comes from
the environment, DEBUG=false included) plus a URLconf that adds the two floor views.
Never used in production, so the floor views are never public there.
"""

from newsclaims.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
