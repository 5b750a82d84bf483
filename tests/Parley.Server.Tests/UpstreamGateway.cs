using Microsoft.AspNetCore.Builder;
using OpenAI.Chat;
using Parley.OpenAI;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>A scripted OpenAI-compatible upstream and a Parley server that serves it as its upstream model.</summary>
internal sealed class UpstreamGateway : IAsyncDisposable
{
    /// <summary>The upstream model's id, served by Parley under the same name.</summary>
    public const string Model = OpenAITestServer.DefaultModel;

    private UpstreamGateway(OpenAITestServer upstream, WebApplication app)
    {
        Upstream = upstream;
        App = app;
    }

    /// <summary>The scripted upstream.</summary>
    public OpenAITestServer Upstream { get; }

    /// <summary>The Parley server in front of it.</summary>
    public WebApplication App { get; }

    /// <summary>An OpenAI SDK chat client for <see cref="Model"/> through Parley.</summary>
    public ChatClient Chat => ServerFixture.CreateClient(App, "unused").GetChatClient(Model);

    /// <summary>Starts the upstream and a Parley server (from <paramref name="server"/>'s bot) in front of it.</summary>
    /// <param name="server">The fixture whose bot the server serves.</param>
    /// <param name="forwarding">
    /// Build the upstream client as <c>parley serve</c> does (<see cref="OpenAIChatClientFactory.CreatePipeline"/>: JSON
    /// requests are forwarded as they are); false for a plain chat client, which Parley converts requests for.
    /// </param>
    public static async Task<UpstreamGateway> StartAsync(ServerFixture server, bool forwarding = false)
    {
        var upstream = await OpenAITestServer.StartAsync();
        var endpoint = new OpenAIEndpointOptions { BaseUrl = upstream.BaseUrl, ApiKey = "sk-upstream", Model = Model };
        var client = forwarding ? OpenAIChatClientFactory.CreatePipeline(endpoint) : OpenAIChatClientFactory.Create(endpoint);
        var app = await server.StartServerAsync(o =>
        {
            o.Upstream = client;
            o.UpstreamModel = Model;
        });
        return new UpstreamGateway(upstream, app);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
