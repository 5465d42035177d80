using System.Globalization;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Host.Tests.Wallboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace LifelineRealtime.Host.Tests.Pages;

/// <summary>
/// Cancel / Complete on the stuck-task page in a real browser, against the TaskRouter double: an admin gets the one
/// fix a row's status takes behind a confirmation dialog that requires a reason; anyone else gets no buttons.
/// </summary>
public sealed class TaskActionsPageTests(PageBrowser browser) : IClassFixture<PageBrowser>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Sid(int n) => "WT" + n.ToString("x32", CultureInfo.InvariantCulture);

    private static async Task<(LifelineHostFactory Factory, string Root)> StuckHostAsync(TaskRouterDouble twilio)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(WallboardIngest.T0 + 11 * 60_000));
        var (factory, root) = PageBrowser.Host(s => s.AddSingleton<TimeProvider>(clock), twilio.Configure);
        await WallboardIngest.AppendAndDispatchAsync(factory, [WallboardIngest.Fields(1, "task.created", WallboardIngest.T0, "support"), WallboardIngest.Fields(2, "task.created", WallboardIngest.T0 + 30_000, "safety")], Ct);
        return (factory, root);
    }

    [Fact]
    public async Task Admin_CancelsAPendingTask_ThroughADialogThatRequiresAReason_AndSeesTheResultAndAConflictInWords()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        twilio.Task(TestPlatforms.DigiWorkspace, Sid(1), "pending");

        // Task 2 was picked up in TaskRouter; the engine has not heard yet, so the page still shows it pending.
        twilio.Task(TestPlatforms.DigiWorkspace, Sid(2), "assigned");
        var (factory, root) = await StuckHostAsync(twilio);
        await using var _ = factory;

        var page = await browser.OpenAsync($"{root}/tasks/digi", 1366, 768);
        var rows = page.Locator("tr[data-task]");
        await Assertions.Expect(rows).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("button.fix[data-fix=cancel]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("button.fix[data-fix=complete]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#fix-note")).ToContainTextAsync("the list updates when TaskRouter's event arrives");

        // The dialog shows the task and holds the keyboard: Esc closes it and nothing is sent.
        var first = page.Locator($"tr[data-task={Sid(1)}]");
        await first.GetByRole(AriaRole.Button, new() { Name = "Cancel…" }).ClickAsync();
        var dialog = page.Locator("dialog#fix-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog.Locator("#fix-sid")).ToHaveTextAsync(Sid(1));
        await Assertions.Expect(dialog.Locator("#fix-status")).ToHaveTextAsync("pending");
        await Assertions.Expect(dialog.Locator("#fix-reason")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToBeHiddenAsync();

        // Without a reason the dialog says so and sends nothing.
        await first.GetByRole(AriaRole.Button, new() { Name = "Cancel…" }).ClickAsync();
        await dialog.Locator("#fix-reason").FillAsync("   ");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel task" }).ClickAsync();
        await Assertions.Expect(dialog.Locator("#fix-error")).ToHaveTextAsync("A reason is required: say why the task is being changed.");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        Assert.Empty(twilio.Requests);
        await PageBrowser.ScreenshotAsync(page, "stuck-tasks-fix-dialog-1366x768");

        // With one, Enter in the form confirms: sent, and the page says the list follows TaskRouter's event.
        await dialog.Locator("#fix-reason").FillAsync("CS hung up; the task stayed pending");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel task" }).PressAsync("Enter");
        var result = page.Locator("#fix-result");
        await Assertions.Expect(result.Locator("[role=status]")).ToHaveTextAsync(
            $"Cancel {Sid(1)}: sent; TaskRouter now holds it canceled. The list updates when TaskRouter's event arrives.", new() { Timeout = 10_000 });
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        Assert.Equal(new TaskRouterTaskView("canceled", 2, "CS hung up; the task stayed pending"), twilio.TaskNow(TestPlatforms.DigiWorkspace, Sid(1)));

        // What the admin confirmed (pending) is not what TaskRouter holds (assigned): nothing is changed, and the page says why.
        await page.Locator($"tr[data-task={Sid(2)}]").GetByRole(AriaRole.Button, new() { Name = "Cancel…" }).ClickAsync();
        await dialog.Locator("#fix-reason").FillAsync("stuck pending");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel task" }).ClickAsync();
        await Assertions.Expect(result.Locator("[role=alert]")).ToContainTextAsync(
            "Not changed: the task is assigned in TaskRouter, not pending as confirmed; reload and decide again.", new() { Timeout = 10_000 });
        Assert.Equal("assigned", twilio.TaskNow(TestPlatforms.DigiWorkspace, Sid(2)).Status);
        Assert.Single(twilio.Requests, r => r.Method == "POST");
        await PageBrowser.ScreenshotAsync(page, "stuck-tasks-fix-1366x768");
    }

    [Fact]
    public async Task NonAdmin_SeesTheStuckList_WithoutFixButtons()
    {
        await using var twilio = await TaskRouterDouble.StartAsync(Ct);
        var (factory, root) = await StuckHostAsync(twilio);
        await using var _ = factory;

        var page = await browser.OpenAsync($"{root}/tasks/digi", 1366, 768, TestTokens.Issue([Roles.FullAccess], platforms: ["digi"]));

        await Assertions.Expect(page.Locator("tr[data-task]")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("button.fix")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#fix-note, #fix-result, dialog")).ToHaveCountAsync(0);
        Assert.Empty(twilio.Requests);
    }
}
