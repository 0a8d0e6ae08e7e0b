"""Languages of a site: what runs in the build (switcher, hreflang, notice, MyST
speed-ups), the project's languages and ``.po`` files, and the translators' commands
(``gbifnode i18n update``, ``stat`` and ``check``)."""
