package dev.ebb.service;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Wires the service feature. */
@Configuration(proxyBeanMethods = false)
class ServiceConfiguration {

    @Bean
    ServiceStatusCalculator serviceStatusCalculator(DomainProperties domains) {
        return new ServiceStatusCalculator(domains);
    }

    @Bean
    ServiceRoutes serviceRoutes(JdbcTemplate jdbc, JsonMapper json) {
        return new ServiceRoutes(jdbc, json);
    }

    @Bean
    ServiceSearch serviceSearch(JdbcTemplate jdbc) {
        return new ServiceSearch(jdbc);
    }
}
