package com.alloygateway.validation;

import java.util.List;

/** Input refused by a check of this package; answered as {@code INVALID_INPUT} with its violations. */
public class InvalidInputException extends RuntimeException {

    private final List<Violation> violations;

    public InvalidInputException(String path, String message) {
        this(List.of(new Violation(path, message)));
    }

    public InvalidInputException(List<Violation> violations) {
        super(violations.size() == 1 ? "Invalid input: " + violations.get(0).message()
                : "Invalid input: " + violations.size() + " violations", null, false, false);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
