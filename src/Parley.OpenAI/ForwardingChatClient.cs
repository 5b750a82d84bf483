using Microsoft.Extensions.AI;

namespace Parley.OpenAI;

/// <summary>
/// A chat client that also offers its endpoint's <see cref="OpenAIChatForwarder"/> through
/// <see cref="IChatClient.GetService"/>, for callers that relay requests as they are; it owns and disposes the forwarder.
/// </summary>
internal sealed class ForwardingChatClient(IChatClient innerClient, OpenAIChatForwarder forwarder) : DelegatingChatClient(innerClient)
{
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(OpenAIChatForwarder) ? forwarder : base.GetService(serviceType, serviceKey);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            forwarder.Dispose();
        }

        base.Dispose(disposing);
    }
}
