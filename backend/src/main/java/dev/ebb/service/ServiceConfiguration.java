package dev.ebb.service;

import dev.ebb.cluster.Clusters;
import dev.ebb.spec.TemplateDefaults;
import org.springframework.beans.factory.annotation.Value;
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
    LatestRollouts latestRollouts(JdbcTemplate jdbc) {
        return new LatestRollouts(jdbc);
    }

    @Bean
    Placements placements(Clusters clusters, JdbcTemplate jdbc,
            @Value("${ebb.placement.default-cluster:local}") String defaultCluster) {
        return new Placements(defaultCluster, clusters::names, jdbc);
    }

    @Bean
    NamespaceQuota namespaceQuota(@Value("${ebb.api.max-services-per-namespace:1000}") int maxServices) {
        return new NamespaceQuota(maxServices);
    }

    @Bean
    ServiceDocuments serviceDocuments(JsonMapper json, TemplateDefaults defaults) {
        return new ServiceDocuments(json, defaults);
    }

    @Bean
    ServiceSearch serviceSearch(JdbcTemplate jdbc) {
        return new ServiceSearch(jdbc);
    }
}
