"""A demo OpenID Connect provider for development and tests (django-oauth-toolkit, RS256).

It stands in for the identity broker (BundID, a state's Servicekonto): citizens log in with a
user name and password at `/demo-oidc/anmelden/` and come back with an ID token carrying an
`acr` claim (STORK-QAA levels) and the demo person's name, address and date of birth.
Mounted only with `DEMO_OIDC_PROVIDER=true` (scripts/run.sh); production never mounts it.
"""
