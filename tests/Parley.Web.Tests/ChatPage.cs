using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

/// <summary>What the chat tests do on the page, in the words a user would use.</summary>
internal static class ChatPage
{
    public static async Task OpenAsync(IPage page, string model)
    {
        await page.GotoAsync("/#/chat");
        await Expect(page.Locator("#model option[value='" + model + "']")).ToHaveCountAsync(1);
        await page.GetByLabel("Bot or model").SelectOptionAsync(model);
    }

    public static async Task SendAsync(IPage page, string text)
    {
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync(text);
        await page.GetByLabel("Message", new() { Exact = true }).PressAsync("Enter");
    }

    public static ILocator Replies(IPage page) => page.Locator("article.msg.assistant");

    public static ILocator UserMessages(IPage page) => page.Locator("article.msg.user");

    /// <summary>Waits until no reply is streaming (the Send button is enabled again).</summary>
    public static Task WaitIdleAsync(IPage page) => Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true })).ToBeEnabledAsync();

    /// <summary>A model stream: each piece after <paramref name="delay"/>; stops when cancelled.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> SlowUpdates(
        IEnumerable<string> pieces, TimeSpan delay, Action? cancelled = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var piece in pieces)
        {
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled?.Invoke();
                throw;
            }

            yield return new ChatResponseUpdate(ChatRole.Assistant, piece);
        }
    }
}
