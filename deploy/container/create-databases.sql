-- Each service owns its own database; Keycloak has one of its own.
CREATE DATABASE invitations;
CREATE DATABASE engagements;
CREATE DATABASE partners;
CREATE DATABASE evaluation;
CREATE DATABASE keycloak;
