/* gbifnode theme: progressive enhancement only. Without JavaScript the menu is shown
   open and dropdowns are native <details>, so every page stays readable and usable. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("gbif-js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var toggle = document.querySelector(".gbif-menu-toggle");
    var menu = document.getElementById("gbif-menu");
    var dropdowns = Array.prototype.slice.call(document.querySelectorAll(".gbif-dropdown"));

    function setMenu(open) {
      if (!toggle || !menu) return;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("gbif-menu--open", open);
    }

    function closeDropdowns(except) {
      dropdowns.forEach(function (d) { if (d !== except) d.open = false; });
    }

    if (toggle && menu) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        setMenu(toggle.getAttribute("aria-expanded") !== "true");
      });
    }

    // One dropdown open at a time, as in any site menu.
    dropdowns.forEach(function (d) {
      d.addEventListener("toggle", function () { if (d.open) closeDropdowns(d); });
    });

    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest(".gbif-dropdown")) closeDropdowns(null);
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var open = dropdowns.filter(function (d) { return d.open; })[0];
      if (open) {
        open.open = false;
        open.querySelector("summary").focus();
      } else if (toggle && toggle.getAttribute("aria-expanded") === "true") {
        setMenu(false);
        toggle.focus();
      }
    });
  });
})();
