# Multi-stage: build and publish with the SDK, run on the slim ASP.NET runtime.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig CoreConsole.sln ./
COPY src/ src/
COPY migrations/ migrations/
COPY wwwroot-assets/ wwwroot-assets/
RUN dotnet publish src/CoreConsole.Web -c Release -o /app/web \
 && dotnet publish src/CoreConsole.Agent -c Release -o /app/agent

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS web
WORKDIR /app
COPY --from=build /app/web .
ENV ASPNETCORE_URLS=http://+:8080 \
    CoreConsole__DataDirectory=/data
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q Healthy <&3"]
ENTRYPOINT ["dotnet", "CoreConsole.Web.dll"]

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS agent
WORKDIR /app
COPY --from=build /app/agent .
ENV COREC_AGENT_DATA=/var/lib/coreconsole-agent
VOLUME /var/lib/coreconsole-agent
ENTRYPOINT ["dotnet", "coreconsole-agent.dll"]
CMD ["run"]
