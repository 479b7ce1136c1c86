package dev.ebb.security;

import dev.ebb.web.ProblemWriter;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Every {@code /api/**} call, the gateways' {@code /internal/**} routing feed and the Prometheus scrape at
 * {@code /actuator/prometheus} need a bearer token. Health, the OpenAPI document and the static
 * dashboard files are open; everything else is denied.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiTokens tokens, ProblemWriter problems) throws Exception {
        http
                // Tokens travel in a header, never in a cookie, so there is no session for CSRF to ride on.
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .addFilterBefore(new BearerTokenFilter(tokens, problems), AnonymousAuthenticationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> {
                            response.setHeader("WWW-Authenticate", "Bearer");
                            problems.write(request, response, 401, "unauthorized", "Unauthorized",
                                    "This endpoint needs 'Authorization: Bearer <token>'");
                        })
                        .accessDeniedHandler((request, response, e) -> problems.write(request, response, 403, "forbidden",
                                "Forbidden", "Your token may not do this")))
                .authorizeHttpRequests(auth -> auth
                        // A streamed response (logs with follow=true) finishes in an async dispatch of a request
                        // that was already authorized; with stateless tokens there is nothing to check again.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
                        .requestMatchers("/api/**").hasRole("ADMIN")
                        .requestMatchers("/internal/**").hasRole("ADMIN")
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/prometheus").hasRole("ADMIN")
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/", "/index.html", "/assets/**", "/favicon.svg", "/error").permitAll()
                        .anyRequest().denyAll());
        return http.build();
    }

    /** No password users yet: an empty user store stops Spring Boot from generating a default password. */
    @Bean
    UserDetailsService noPasswordUsers() {
        return new InMemoryUserDetailsManager();
    }
}
