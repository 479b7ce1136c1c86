package dev.ebb.security;

/**
 * OpenID Connect sign-in, on when {@code EBB_OIDC_ISSUER_URI} is set.
 *
 * @param issuerUri the provider's issuer; its discovery document is read at start-up
 * @param usernameClaim the ID token or user-info claim that names the Ebb user ({@code preferred_username} unless set)
 * @param label what the dashboard's button says
 */
record OidcSettings(String issuerUri, String clientId, String clientSecret, String usernameClaim, String label) {

    static final String REGISTRATION = "oidc";

    @Override
    public String toString() {
        return "OidcSettings[issuerUri=" + issuerUri + ", clientId=" + clientId + ", usernameClaim=" + usernameClaim + "]";
    }
}
