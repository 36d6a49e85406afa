# syntax=docker/dockerfile:1
# The production Temporal worker (src/Worker → FlashFundX.Worker.dll). Build from the repository root:
#   docker build -f deploy/worker.Dockerfile -t flashfundx-worker .
# Verbs: no argument polls the task queue; `migrate` applies sql/ and exits; `replay <dir>` replays exported histories.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /repo
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY sql/ sql/
COPY src/ src/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/Worker/FlashFundX.Worker.csproj -c Release -o /out -p:UseAppHost=false

# The ASP.NET Core runtime, not the plain one: the worker serves /metrics with a minimal Kestrel
# (src/ServiceDefaults references the Microsoft.AspNetCore.App framework).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
ENV DOTNET_ENVIRONMENT=Production \
    Metrics__Port=9464 \
    Metrics__Host=* \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
COPY --from=build /out/ ./
COPY sql/*.sql ./sql/
# Prometheus scrapes /metrics here (Metrics__Port; every interface of the container, which only its network reaches:
# outside a container the default is loopback). No HTTP health endpoint: a worker whose connection to Temporal
# fails for good stops, and the orchestrator's restart policy brings it back.
EXPOSE 9464
USER $APP_UID
ENTRYPOINT ["dotnet", "FlashFundX.Worker.dll"]
