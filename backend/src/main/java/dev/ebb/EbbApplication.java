package dev.ebb;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Ebb's control plane: services, immutable revisions, traffic and audit over a REST API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EbbApplication {

    public static void main(String[] args) {
        SpringApplication.run(EbbApplication.class, args);
    }
}
