package dev.ebb.identity;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/** How passwords are hashed: bcrypt, cost 12 unless {@code ebb.security.password-hash-cost} says otherwise. */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder(@Value("${ebb.security.password-hash-cost:12}") int cost) {
        return new BCryptPasswordEncoder(cost);
    }
}
