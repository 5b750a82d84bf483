using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Conversations;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Parley.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class ChatTests(WebFixture fixture) : IDisposable
{
    public void Dispose() => fixture.ResetLlm();

    [ChromiumFact]
    public async Task Send_ModelStreams_ReplyGrowsThenRendersMarkdownWithHighlightedCode()
    {
        string[] pieces = ["Here is ", "**bold** text ", "and code:\n\n", "```csharp\n", "var x = 42;\n", "```\n"];
        fixture.Llm.GetStreamingResponseAsyncCallback = (_, _, ct) => ChatPage.SlowUpdates(pieces, TimeSpan.FromMilliseconds(250), cancellationToken: ct);
        var page = await fixture.NewPageAsync();
        await ChatPage.OpenAsync(page, WebFixture.Model);

        await ChatPage.SendAsync(page, "show me some code");

        var reply = ChatPage.Replies(page).Last;
        await Expect(reply).ToContainTextAsync("Here is");
        Assert.DoesNotContain("var x", await reply.InnerTextAsync());
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Stop" })).ToBeVisibleAsync();
        await Expect(reply.Locator("pre code.hljs")).ToContainTextAsync("var x = 42;");
        await Expect(reply.Locator("strong")).ToHaveTextAsync("bold");
        await Expect(reply.GetByRole(AriaRole.Button, new() { Name = "Copy this code" })).ToBeVisibleAsync();
        await ChatPage.WaitIdleAsync(page);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Stop" })).ToBeHiddenAsync();
        Assert.True(await reply.Locator("pre code span[class^='hljs-']").CountAsync() > 0, "the code block is highlighted");
    }

    [ChromiumFact]
    public async Task Stop_MidStream_CancelsTheModelAndKeepsWhatArrived()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Llm.GetStreamingResponseAsyncCallback = (_, _, ct) => ChatPage.SlowUpdates(
            Enumerable.Range(1, 200).Select(i => $"word{i} "), TimeSpan.FromMilliseconds(150), () => cancelled.TrySetResult(), ct);
        var page = await fixture.NewPageAsync();
        await ChatPage.OpenAsync(page, WebFixture.Model);
        await ChatPage.SendAsync(page, "talk for a long time");
        await Expect(ChatPage.Replies(page).Last).ToContainTextAsync("word3");

        await page.GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var reply = ChatPage.Replies(page).Last;
        await Expect(reply).ToContainTextAsync("Stopped");
        await ChatPage.WaitIdleAsync(page);
        Assert.DoesNotContain("word200", await reply.InnerTextAsync());
    }

    [ChromiumFact]
    public async Task RegenerateAndEdit_LastTurn_ReplacedNotAppended()
    {
        var calls = 0;
        var lastUser = "";
        fixture.Llm.GetStreamingResponseAsyncCallback = (messages, _, ct) =>
        {
            lastUser = messages.Last(m => m.Role == ChatRole.User).Text;
            return ChatPage.SlowUpdates([$"answer {Interlocked.Increment(ref calls)}"], TimeSpan.FromMilliseconds(10), cancellationToken: ct);
        };
        var page = await fixture.NewPageAsync();
        await ChatPage.OpenAsync(page, WebFixture.Model);
        await ChatPage.SendAsync(page, "first question");
        await Expect(ChatPage.Replies(page).Last).ToContainTextAsync("answer 1");
        await ChatPage.WaitIdleAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Regenerate" }).ClickAsync();
        await Expect(ChatPage.Replies(page).Last).ToContainTextAsync("answer 2");
        await Expect(ChatPage.Replies(page)).ToHaveCountAsync(1);
        Assert.Equal("first question", lastUser);

        await ChatPage.WaitIdleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await page.GetByLabel("Edit your message").FillAsync("second question");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send edited" }).ClickAsync();

        await Expect(ChatPage.Replies(page).Last).ToContainTextAsync("answer 3");
        await Expect(ChatPage.UserMessages(page)).ToHaveCountAsync(1);
        await Expect(ChatPage.UserMessages(page)).ToContainTextAsync("second question");
        Assert.Equal("second question", lastUser);
    }

    [ChromiumFact]
    public async Task Reply_WithHtmlAndScriptPayloads_RendersInert()
    {
        const string payload = "Look: <img src=x onerror=\"window.__xss=1;alert(1)\"> <script>window.__xss=2</script> " +
            "[click me](javascript:window.__xss=3) <a href=\"javascript:alert(4)\">raw</a> <svg onload=\"window.__xss=5\"></svg> done";
        fixture.Llm.GetStreamingResponseAsyncCallback = (_, _, ct) => ChatPage.SlowUpdates([payload[..40], payload[40..]], TimeSpan.FromMilliseconds(10), cancellationToken: ct);
        var page = await fixture.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await ChatPage.OpenAsync(page, WebFixture.Model);

        await ChatPage.SendAsync(page, "be evil");

        var reply = ChatPage.Replies(page).Last;
        await Expect(reply).ToContainTextAsync("done");
        await ChatPage.WaitIdleAsync(page);
        foreach (var link in await reply.Locator("a").AllAsync())
        {
            await link.ClickAsync();
        }

        await page.WaitForTimeoutAsync(300);
        Assert.Equal(0, await reply.Locator("script").CountAsync());
        Assert.Equal(0, await reply.Locator("[onerror], [onload]").CountAsync());
        Assert.Equal(0, await reply.Locator("a[href^='javascript' i]").CountAsync());
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__xss"));
        Assert.Equal(0, dialogs);
    }

    [ChromiumFact]
    public async Task Citation_ShopBotTemplate_OpensItsPassage()
    {
        var page = await fixture.NewPageAsync(height: 1700);
        await ChatPage.OpenAsync(page, "shop");

        await ChatPage.SendAsync(page, "how long does shipping take?");

        var reply = ChatPage.Replies(page).Last;
        var source = reply.GetByRole(AriaRole.Group, new() { Name = "Sources" }).GetByRole(AriaRole.Button).First;
        await Expect(source).ToContainTextAsync("[1]");
        await source.ClickAsync();
        await Expect(source).ToHaveAttributeAsync("aria-expanded", "true");
        var passage = reply.Locator(".passage");
        await Expect(passage).ToBeVisibleAsync();
        await Expect(passage).ToContainTextAsync("shipping", new() { IgnoreCase = true });
        await reply.GetByText("Why this answer").ClickAsync();
        await Expect(reply.Locator("details.why")).ToContainTextAsync("template");
        await Expect(reply.Locator("details.why")).ToContainTextAsync("Confidence");
        var shot = await WebFixture.ScreenshotAsync(page, "conversation");
        Assert.True(new FileInfo(shot).Length > 10_000);
    }

    [ChromiumFact]
    public async Task Approval_AssistantBooking_ApprovedRunsDeniedDoesNot()
    {
        var page = await fixture.NewPageAsync();
        await ChatPage.OpenAsync(page, "assistant");

        await ChatPage.SendAsync(page, "book a call with Anna tomorrow at 10");
        var approve = page.GetByRole(AriaRole.Button, new() { Name = "Approve" });
        await Expect(approve).ToBeVisibleAsync();
        await Expect(ChatPage.Replies(page).Last.Locator("details.tool")).ToContainTextAsync("waiting for your approval");
        await approve.ClickAsync();
        await Expect(ChatPage.Replies(page)).ToHaveCountAsync(2);
        await Expect(ChatPage.Replies(page).Last.Locator("details.tool")).ToContainTextAsync("approved, ran");
        await ChatPage.WaitIdleAsync(page);

        await ChatPage.SendAsync(page, "book a call with Ben tomorrow at 15");
        await Expect(approve).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Deny" }).ClickAsync();
        await Expect(ChatPage.Replies(page)).ToHaveCountAsync(4);
        await Expect(approve).ToHaveCountAsync(0);
        var denied = await ChatPage.Replies(page).Last.InnerTextAsync();
        Assert.DoesNotContain("approved, ran", denied);
        await WebFixture.ScreenshotAsync(page, "approval");
    }

    [ChromiumFact]
    public async Task Reload_BotConversation_RestoresMessagesAndSources()
    {
        // A phone in dark mode: the same page, one column.
        var page = await fixture.NewPageAsync(width: 390, height: 844, colorScheme: ColorScheme.Dark);
        await ChatPage.OpenAsync(page, "shop");
        await ChatPage.SendAsync(page, "can I pay with PayPal?");
        await Expect(ChatPage.Replies(page).Last.GetByRole(AriaRole.Group, new() { Name = "Sources" })).ToBeVisibleAsync();
        await ChatPage.WaitIdleAsync(page);
        var before = await ChatPage.Replies(page).Last.Locator(".body").InnerTextAsync();
        Assert.Matches("#/chat/.+", page.Url);
        var id = Uri.UnescapeDataString(page.Url[(page.Url.IndexOf("#/chat/", StringComparison.Ordinal) + 7)..]);
        await fixture.Services.GetRequiredService<IConversationStore>().AppendAsync(id, [],
            [new ConversationEvent("handoff", DateTimeOffset.UtcNow, "Handed over to a person", new Dictionary<string, string> { ["reason"] = "asked for a human" })]);

        await page.ReloadAsync();

        await Expect(ChatPage.UserMessages(page)).ToContainTextAsync("can I pay with PayPal?");
        await Expect(ChatPage.Replies(page).Last.Locator(".body")).ToHaveTextAsync(before);
        await Expect(ChatPage.Replies(page).Last.GetByRole(AriaRole.Group, new() { Name = "Sources" })).ToBeVisibleAsync();
        await Expect(page.Locator(".conversations li.active")).ToContainTextAsync("PayPal");
        var handoff = page.GetByRole(AriaRole.Note, new() { Name = "Event: handoff" });
        await Expect(handoff).ToContainTextAsync("Handed over to a person");
        await Expect(handoff).ToContainTextAsync("reason: asked for a human");
        Assert.True(await handoff.EvaluateAsync<bool>("e => e.previousElementSibling.matches('article.msg.assistant')"), "the event follows the reply it came after");
        await WebFixture.ScreenshotAsync(page, "conversation-phone-dark");
    }

    [ChromiumFact]
    public async Task Rename_BotConversation_IsStoredOnTheServerAndShownInAnotherBrowser()
    {
        var page = await fixture.NewPageAsync();
        await ChatPage.OpenAsync(page, "shop");
        await ChatPage.SendAsync(page, "do you ship abroad?");
        await ChatPage.WaitIdleAsync(page);
        var id = Uri.UnescapeDataString(page.Url[(page.Url.IndexOf("#/chat/", StringComparison.Ordinal) + 7)..]);
        var item = page.Locator($".conversations li[data-id='{id}']");

        await item.GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
        await page.GetByLabel("New name").FillAsync("运费 shipping abroad");
        await page.GetByLabel("New name").PressAsync("Enter");

        await Expect(item.Locator("a")).ToContainTextAsync("运费 shipping abroad");
        Assert.Equal("运费 shipping abroad", (await fixture.Services.GetRequiredService<IConversationStore>().GetAsync(id))!.Title);
        var other = await fixture.NewPageAsync();
        await other.GotoAsync("/#/chat");
        await Expect(other.Locator($".conversations li[data-id='{id}'] a")).ToContainTextAsync("运费 shipping abroad");
        Assert.Equal("null", await other.EvaluateAsync<string>("() => String(localStorage.getItem('parley.titles'))"));
    }

    [ChromiumFact]
    public async Task Phone_ChineseAndAVeryLongMessage_FitTheScreenAndAreStoredWhole()
    {
        var page = await fixture.NewPageAsync(width: 360, height: 740);
        await ChatPage.OpenAsync(page, "shop");
        await ChatPage.SendAsync(page, "你好，我想退货，请问运费谁出？");
        await Expect(ChatPage.Replies(page)).ToHaveCountAsync(1);
        await ChatPage.WaitIdleAsync(page);
        Assert.Matches("#/chat/.+", page.Url);
        var id = Uri.UnescapeDataString(page.Url[(page.Url.IndexOf("#/chat/", StringComparison.Ordinal) + 7)..]);
        // 5,000 characters: one unbroken word (a pasted token or URL) and ordinary sentences.
        var longText = new string('x', 1200) + " " + string.Concat(Enumerable.Repeat("The parcel arrived damaged and I would like a refund. ", 90));
        longText = longText[..4999] + "!"; // 5,000 characters; the page trims the ends of what is sent

        await ChatPage.SendAsync(page, longText);
        await Expect(ChatPage.Replies(page)).ToHaveCountAsync(2);
        await ChatPage.WaitIdleAsync(page);

        await Expect(ChatPage.UserMessages(page).First).ToContainTextAsync("你好，我想退货");
        await Expect(page.Locator(".conversations li.active")).ToContainTextAsync("你好");
        var stored = (await fixture.Services.GetRequiredService<IConversationStore>().GetAsync(id))!;
        Assert.Equal(longText, stored.Messages.Where(m => m.Message.Role == Microsoft.Extensions.AI.ChatRole.User).Last().Message.Text);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "nothing is wider than the phone's screen");
        Assert.True(await ChatPage.UserMessages(page).Last.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth + 1"), "the long word wraps inside its bubble");
        var box = await page.GetByLabel("Message", new() { Exact = true }).BoundingBoxAsync();
        Assert.True(box!.Y + box.Height <= 740, "the message box stays on screen");
        await WebFixture.ScreenshotAsync(page, "phone-long-message");
    }

    [ChromiumFact]
    public async Task ApiKey_Wrong_ShowsBannerAndRightKeyClearsIt()
    {
        var page = await fixture.NewPageAsync(apiKey: "sk-wrong");
        await page.GotoAsync("/");

        var banner = page.Locator(".banner[data-kind='auth']");
        await Expect(banner).ToContainTextAsync("refused this API key");

        await page.GetByLabel("API key").FillAsync(WebFixture.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(banner).ToHaveCountAsync(0);
        await Expect(page.Locator("#model option[value='shop']")).ToHaveCountAsync(1);
    }

    [ChromiumFact]
    public async Task Send_UpstreamDown_ShowsUpstreamBanner()
    {
        fixture.Llm.GetStreamingResponseAsyncCallback = (_, _, _) => Throwing();
        var page = await fixture.NewPageAsync();
        await ChatPage.OpenAsync(page, WebFixture.Model);

        await ChatPage.SendAsync(page, "hello?");

        await Expect(page.Locator(".banner[data-kind='upstream']")).ToContainTextAsync("not answering");
        await ChatPage.WaitIdleAsync(page);
    }

    [ChromiumFact]
    public async Task Send_RateLimitedThenOffline_ShowsEachBannerAndShiftEnterOnlyAddsALine()
    {
        var page = await fixture.NewPageAsync();
        await ChatPage.OpenAsync(page, WebFixture.Model);
        var box = page.GetByLabel("Message", new() { Exact = true });
        await box.FillAsync("first line");
        await box.PressAsync("Shift+Enter");
        await box.PressSequentiallyAsync("second line");
        Assert.Equal("first line\nsecond line", await box.InputValueAsync());
        await Expect(ChatPage.UserMessages(page)).ToHaveCountAsync(0);

        await page.RouteAsync("**/v1/chat/completions", route => route.FulfillAsync(new()
        {
            Status = 429,
            Headers = new Dictionary<string, string> { ["Retry-After"] = "7", ["Content-Type"] = "application/json" },
            Body = "{\"error\":{\"message\":\"rate limit reached\",\"type\":\"rate_limit_error\",\"code\":\"rate_limit_exceeded\"}}",
        }));
        await box.PressAsync("Enter");
        await Expect(page.Locator(".banner[data-kind='rate']")).ToContainTextAsync("Try again in 7 s");
        await ChatPage.WaitIdleAsync(page);

        await page.UnrouteAllAsync();
        await page.Context.SetOfflineAsync(true);
        await ChatPage.SendAsync(page, "are you there?");
        await Expect(page.Locator(".banner[data-kind='offline']")).ToContainTextAsync("offline");
        await page.Context.SetOfflineAsync(false);
        await Expect(page.Locator(".banner[data-kind='offline']")).ToHaveCountAsync(0);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Throwing()
    {
        await Task.Yield();
        throw new HttpRequestException("connection refused", null, System.Net.HttpStatusCode.BadGateway);
#pragma warning disable CS0162 // an iterator needs a yield
        yield break;
#pragma warning restore CS0162
    }
}
