"""The API's JSON renderer: orjson (drf-orjson-renderer), several times faster than the json
module on the large pages (1,000 links, 100 positions with their requirements) and CASE packages.

drf-orjson-renderer turns a type it does not know into null; here it goes to DRF's own encoder
instead (lazy translations, decimals, timedeltas, querysets), which raises for anything else, so
a mistake is an error rather than a silent null.
"""

from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_drf_encoder = JSONEncoder()


class JSONRenderer(ORJSONRenderer):
    @staticmethod
    def default(obj):
        return _drf_encoder.default(obj)
