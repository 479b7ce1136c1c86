package dev.ebb.service;

import dev.ebb.spec.TemplateDefaults;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the service feature. */
@Configuration(proxyBeanMethods = false)
class ServiceConfiguration {

    @Bean
    TemplateDefaults templateDefaults() {
        return TemplateDefaults.standard();
    }

    @Bean
    ServiceStatusCalculator serviceStatusCalculator(DomainProperties domains) {
        return new ServiceStatusCalculator(domains);
    }
}
