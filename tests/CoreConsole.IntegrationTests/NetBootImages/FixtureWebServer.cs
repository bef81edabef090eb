using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CoreConsole.IntegrationTests.NetBootImages;

/// <summary>A tiny Kestrel server on 127.0.0.1 that answers fixed paths with fixed bodies: a stand-in IIS/nginx/Apache share.</summary>
public sealed class FixtureWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, (string ContentType, byte[] Body)> _routes = new(StringComparer.Ordinal);

    public FixtureWebServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(async c =>
        {
            if (!_routes.TryGetValue(c.Request.Path.Value ?? "", out var r))
            {
                c.Response.StatusCode = 404;
                return;
            }

            c.Response.ContentType = r.ContentType;
            c.Response.ContentLength = r.Body.Length;
            if (!HttpMethods.IsHead(c.Request.Method)) await c.Response.Body.WriteAsync(r.Body);
        });
    }

    public FixtureWebServer Serve(string path, string contentType, byte[] body)
    {
        _routes[path] = (contentType, body);
        return this;
    }

    public FixtureWebServer Serve(string path, string contentType, string body) => Serve(path, contentType, System.Text.Encoding.UTF8.GetBytes(body));

    public async Task<Uri> StartAsync()
    {
        await _app.StartAsync();
        return new Uri(_app.Urls.First());
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
