-- Each service owns its own database.
CREATE DATABASE invitations;
CREATE DATABASE engagements;
CREATE DATABASE partners;
CREATE DATABASE evaluation;
