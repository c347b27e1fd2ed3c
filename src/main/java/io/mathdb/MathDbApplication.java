package io.mathdb;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the MathDB HTTP service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MathDbApplication {
    public static void main(String[] args) {
        SpringApplication.run(MathDbApplication.class, args);
    }
}
