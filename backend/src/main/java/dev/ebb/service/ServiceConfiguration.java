package dev.ebb.service;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the service feature. */
@Configuration(proxyBeanMethods = false)
class ServiceConfiguration {

    @Bean
    ServiceStatusCalculator serviceStatusCalculator(DomainProperties domains) {
        return new ServiceStatusCalculator(domains);
    }
}
