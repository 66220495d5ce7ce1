"""Request (``XCreate``, strict) and response (``XPublic``) bodies, one module per resource."""
