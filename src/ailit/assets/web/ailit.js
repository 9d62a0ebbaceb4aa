/* ailit: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
})();
