package dev.ebb.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;

/**
 * Sign-in through a team's identity provider (Keycloak, Okta, Entra ID, Google...), when an issuer is configured.
 * Ebb reads the provider's discovery document at start-up, runs the authorization-code flow, and signs in the Ebb
 * user whose name the provider vouches for; it creates nobody on its own.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${ebb.security.oidc.issuer-uri:}'.isBlank()")
class OidcConfiguration {

    @Bean
    OidcSettings oidcSettings(@Value("${ebb.security.oidc.issuer-uri}") String issuerUri,
            @Value("${ebb.security.oidc.client-id:}") String clientId, @Value("${ebb.security.oidc.client-secret:}") String clientSecret,
            @Value("${ebb.security.oidc.username-claim:preferred_username}") String usernameClaim,
            @Value("${ebb.security.oidc.label:Single sign-on}") String label) {
        if (clientId.isBlank()) {
            throw new IllegalStateException("EBB_OIDC_ISSUER_URI is set but EBB_OIDC_CLIENT_ID is not: register Ebb as a client "
                    + "at your identity provider (redirect URI <ebb url>/login/oauth2/code/" + OidcSettings.REGISTRATION
                    + ") and set its client id and secret");
        }
        return new OidcSettings(issuerUri.trim(), clientId.trim(), clientSecret, usernameClaim.trim(), label);
    }

    @Bean
    ClientRegistrationRepository oidcClients(OidcSettings settings) {
        ClientRegistration registration = ClientRegistrations.fromIssuerLocation(settings.issuerUri())
                .registrationId(OidcSettings.REGISTRATION)
                .clientName(settings.label())
                .clientId(settings.clientId())
                .clientSecret(settings.clientSecret())
                .scope("openid", "profile", "email")
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .userNameAttributeName(settings.usernameClaim())
                .build();
        return new InMemoryClientRegistrationRepository(registration);
    }
}
