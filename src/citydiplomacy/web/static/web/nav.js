/* The header's menu button on narrow screens: shows or hides the navigation (CSS hides it
   below 768 px only once this script runs, so without scripts everything stays visible). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    var nav = document.getElementById("site-nav");
    var button = nav && nav.querySelector(".menu-toggle");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
}());
