-- Run once by the postgres image on an empty data volume (docker-entrypoint-initdb.d), as POSTGRES_USER.
-- One database per subgraph: each team owns its schema and its migrations, and no subgraph reads another's tables.
-- Each subgraph creates its tables itself on start (migrations, under a lock); nothing else is needed here.
CREATE DATABASE talents;
CREATE DATABASE trainings;
CREATE DATABASE regions;
