/* Stadtmelder Außendienst – login: username and password → crew token, kept in this browser. */
(function () {
  "use strict";
  var form = document.getElementById("crew-login-form");
  var errorBox = document.getElementById("login-error");
  if (!form || !window.Crew) return;
  var T = Crew.T;

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
    errorBox.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errorBox.hidden = true;
    var username = form.elements.username.value.trim();
    var password = form.elements.password.value;
    Crew.api("auth/token", { method: "POST", json: { username: username, password: password,
                                                       name: navigator.userAgent.slice(0, 200) } })
      .then(function (res) {
        if (res.status === 201) {
          Crew.loginStore(res.data);
          window.location.assign(Crew.tasksUrl);
        } else {
          showError(Crew.fmt(T.login_failed, { detail: (res.data && res.data.detail) || res.status }));
        }
      }, function () { showError(T.network); });
  });
})();
