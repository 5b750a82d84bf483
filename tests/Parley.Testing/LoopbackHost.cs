using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Parley.Testing;

/// <summary>The one way the HTTP test doubles run: a quiet Kestrel on a free port of 127.0.0.1.</summary>
internal static class LoopbackHost
{
    /// <summary>Builds the app, lets <paramref name="map"/> add its routes, starts it, and returns it with its address (no trailing slash).</summary>
    public static async Task<(WebApplication App, string Address)> StartAsync(Action<WebApplication> map, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, address.TrimEnd('/'));
    }

    /// <summary>Stops and disposes <paramref name="app"/> (nothing when it never started), waiting at most 5 seconds for open requests.</summary>
    public static async ValueTask StopAsync(WebApplication? app)
    {
        if (app is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
