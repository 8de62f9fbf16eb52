/* ReDoc without its maker's logo (loaded by templates/drf_spectacular/redoc.html, before ReDoc).
 *
 * ReDoc's sidebar footer ("API docs by Redocly") shows an image from its maker's CDN, an address
 * fixed in its bundle with no option to leave it out. The site's Content-Security-Policy refuses
 * it (img-src 'self' data:), as the documentation must not reach out: a violation and a console
 * error on every visit. That one address is replaced by an empty data: URI, which fails without
 * leaving the page; ReDoc then takes the image out itself (its onError), as it did when refused.
 * The footer's link and text stay. ReDoc's React sets an image's src as an attribute; the
 * property is covered too. competency_site/tests/test_http.py checks the bundle's address.
 */
(function () {
  "use strict";

  var LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg";
  var NONE = "data:,";
  var image = HTMLImageElement.prototype;

  var setAttribute = image.setAttribute;
  image.setAttribute = function (name, value) {
    var kept = String(name).toLowerCase() === "src" && String(value) === LOGO ? NONE : value;
    return setAttribute.call(this, name, kept);
  };

  var src = Object.getOwnPropertyDescriptor(image, "src");
  Object.defineProperty(image, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      src.set.call(this, String(value) === LOGO ? NONE : value);
    },
  });
})();
