package io.mathdb.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;

/**
 * JSON numbers are exact both ways: a Decimal(38,10) or a UInt64 must survive a round trip digit for digit, so
 * fractional numbers are read as {@code BigDecimal} (never through {@code double}) and decimals are written in plain
 * notation (never {@code 1E+3}). Integers already arrive as {@code Integer}, {@code Long} or {@code BigInteger},
 * whichever fits. A key given twice in one JSON object is malformed JSON rather than "last one wins".
 */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer exactJsonNumbers() {
        return builder -> builder
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }
}
