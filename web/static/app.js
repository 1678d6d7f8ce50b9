/* mingshi — the little the keyboard and assistive technology need beyond htmx.
 *
 * - A studio's tab bar swaps only #studio-main: the bar itself is not redrawn, so aria-current
 *   follows the tab that was opened (and the address after a back/forward).
 * - A form answered with 422 (its errors, swapped in place) takes the focus to the first field
 *   in error; a field the macros of _forms.html did not draw (a checkbox, an attendance row) is
 *   tied to the message written inside its label (aria-invalid + aria-describedby).
 */
(function () {
  "use strict";

  function markTab(nav, current) {
    nav.querySelectorAll("a").forEach(function (link) {
      if (link === current) {
        link.setAttribute("aria-current", "page");
      } else {
        link.removeAttribute("aria-current");
      }
    });
  }

  function tabsFollowAddress() {
    document.querySelectorAll("nav.tabs[hx-target]").forEach(function (nav) {
      var here = window.location.pathname;
      var match = null;
      nav.querySelectorAll("a[href]").forEach(function (link) {
        if (new URL(link.href, window.location.href).pathname === here) {
          match = link;
        }
      });
      if (match) {
        markTab(nav, match);
      }
    });
  }

  function tieErrors(root) {
    root.querySelectorAll("label.field .field-error[id], fieldset.field .field-error[id]").forEach(function (error) {
      var field = error.closest(".field");
      var control = field.querySelector("input:not([type=hidden]), select, textarea");
      if (!control || control.hasAttribute("aria-describedby")) {
        return;
      }
      var ids = Array.prototype.map.call(field.querySelectorAll(".field-error[id]"), function (e) { return e.id; });
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", ids.join(" "));
    });
  }

  function focusFirstError(root) {
    var first = root.querySelector('[aria-invalid="true"]');
    if (!first) {
      var error = root.querySelector(".field-error");
      if (!error) {
        return;
      }
      first = error;
      if (!error.hasAttribute("tabindex")) {
        error.setAttribute("tabindex", "-1");
      }
    }
    first.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    tieErrors(document);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    var nav = trigger && trigger.closest && trigger.closest("nav.tabs");
    if (nav && trigger.tagName === "A") {
      markTab(nav, trigger);
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    var root = target && target.isConnected ? target : document;
    tieErrors(root);
    if (event.detail.xhr && event.detail.xhr.status === 422) {
      focusFirstError(root);
    }
  });

  document.addEventListener("htmx:historyRestore", tabsFollowAddress);
  window.addEventListener("popstate", function () {
    window.setTimeout(tabsFollowAddress, 0);
  });
})();
