package dev.ebb.service;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires the service feature. */
@Configuration(proxyBeanMethods = false)
class ServiceConfiguration {

    @Bean
    ServiceStatusCalculator serviceStatusCalculator(DomainProperties domains) {
        return new ServiceStatusCalculator(domains);
    }

    @Bean
    ServiceSearch serviceSearch(JdbcTemplate jdbc) {
        return new ServiceSearch(jdbc);
    }
}
