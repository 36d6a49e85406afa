# syntax=docker/dockerfile:1
# The production API host (src/Api → FlashFundX.Api.dll). Build from the repository root:
#   docker build -f deploy/api.Dockerfile -t flashfundx-api .
# Verbs: no argument serves HTTP on 8080 and /metrics on the management port 9464; `migrate` applies sql/ and exits
# (deploy/compose.yml runs it once).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /repo
# Everything the projects need and nothing else (see .dockerignore): the build props, .editorconfig (its analyzer
# settings are part of the build: warnings are errors), the sources and sql/,
# whose migrations are compiled into the binaries.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY sql/ sql/
COPY src/ src/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/Api/FlashFundX.Api.csproj -c Release -o /out -p:UseAppHost=false

# aspnet:10.0 is Ubuntu 24.04 ("noble"), the default for .NET 10 tags: it has bash but neither curl nor wget.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080 \
    Metrics__Port=9464 \
    Metrics__Host=* \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
COPY --from=build /out/ ./
# The migrations beside the binary, where an operator (and the migrate verb, if it reads them from disk) finds them.
COPY sql/*.sql ./sql/
# 8080 is the public port (it answers 404 for /metrics); 9464 is the management port Prometheus scrapes, every
# interface of the container but published nowhere: only the container network reaches it.
EXPOSE 8080 9464
# The non-root user every .NET 8+ image provides (uid $APP_UID = 1654); nothing under /app is writable by it.
USER $APP_UID
# Liveness without installing anything: bash's /dev/tcp speaks HTTP/1.1 to the API and passes only on a 200 status
# line. /health/live checks no dependency, so a PostgreSQL or Temporal outage does not get the container restarted;
# readiness (/health/ready) is for the load balancer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/live HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && read -r status <&3 && [[ $status == 'HTTP/1.1 200'* ]]"]
ENTRYPOINT ["dotnet", "FlashFundX.Api.dll"]
