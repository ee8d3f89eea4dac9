# One image recipe for the four services: docker compose passes SERVICE (the project) from the repository root,
# so the shared projects are in reach.
ARG SERVICE=UserService

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG SERVICE
WORKDIR /src
# Project files first: the restore layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY Contracts/Contracts.csproj Contracts/
COPY Messaging/Messaging.csproj Messaging/
COPY ServiceDefaults/ServiceDefaults.csproj ServiceDefaults/
COPY EntryPasses/EntryPasses.csproj EntryPasses/
COPY UserReplica/UserReplica.csproj UserReplica/
COPY ${SERVICE}/${SERVICE}.csproj ${SERVICE}/
RUN dotnet restore ${SERVICE}/${SERVICE}.csproj
COPY . .
RUN dotnet publish ${SERVICE}/${SERVICE}.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
ARG SERVICE
ENV SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build /app .
# The image's unprivileged user; the service needs no root. Urls (the port) comes from docker-compose.yml.
USER $APP_UID
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"$SERVICE.dll\""]
