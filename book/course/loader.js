// Mounts the course app on the placeholders the mdbook-course preprocessor wrote into this page.
// Each bundle mounts what it holds, and a page loads only the bundles it needs: the lab bundle
// (the lab console and the quiz player) on a page with a lab, else the quiz bundle on a page with
// quizzes, and the progress bundle on the page with the progress overview; each in its variant
// with learner records where those are on.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(".", script ? script.src : document.baseURI);
  // Learner records (xAPI) are on when the book configures an LRS endpoint, or an LMS launched
  // the course with cmi5 parameters (in this page's URL, or kept for the tab by an earlier page).
  // Only then does the page load the bundles that can send them (`*_xapi`).
  function recordsOn() {
    var config = document.querySelector("script.course-xapi");
    if (config === null) return false;
    try {
      if (JSON.parse(config.textContent).endpoint) return true;
    } catch (e) {
      return false;
    }
    if (new URLSearchParams(window.location.search).has("endpoint")) return true;
    try {
      return window.sessionStorage.getItem("course:xapi-launch") !== null;
    } catch (e) {
      return false;
    }
  }
  function cmi5Launched() {
    if (new URLSearchParams(window.location.search).has("activityId")) return true;
    try {
      return window.sessionStorage.getItem("course:xapi-cmi5") !== null;
    } catch (e) {
      return false;
    }
  }
  function start() {
    var names = [];
    if (document.querySelector(".course-lab") !== null) names.push("course_lab");
    else if (document.querySelector(".course-quiz") !== null) names.push("course_quiz");
    if (document.querySelector(".course-progress") !== null) names.push("course_progress");
    var suffix = recordsOn() ? "_xapi" : "";
    // A cmi5 session goes on over every page of the course, and must end on any of them: a
    // page without course elements loads the smallest records bundle too (it mounts nothing).
    if (names.length === 0 && suffix !== "" && cmi5Launched()) names.push("course_quiz");
    names.forEach(function (name) {
      load(name + suffix);
    });
  }
  function load(name) {
    import(new URL("pkg/" + name + ".js", base).href)
      .then(function (bundle) {
        return bundle
          .default({ module_or_path: new URL("pkg/" + name + "_bg.wasm", base) })
          .then(function () {
            bundle.mount_all();
          });
      })
      .catch(function (err) {
        console.error("course: could not load the interactive elements:", err);
        document.querySelectorAll(".course-quiz, .course-lab, .course-progress").forEach(function (el) {
          var note = document.createElement("p");
          note.className = "course-load-error";
          note.setAttribute("role", "alert");
          note.textContent = "This interactive element could not be loaded. Reload the page to try again.";
          el.appendChild(note);
        });
      });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
