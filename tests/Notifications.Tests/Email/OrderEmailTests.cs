using System.Net.Http.Json;
using System.Text.Json;
using FlashFundX.Activities.Notifications;
using FlashFundX.Notifications.Tests.Infrastructure;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Service;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Temporalio.Testing;

namespace FlashFundX.Notifications.Tests.Email;

/// <summary>The order e-mails as the customer's mailbox (the SMTP sink) and the outbox table see them.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class OrderEmailTests(NotificationsFixture fixture)
{
    private static readonly TimeSpan MailWait = TimeSpan.FromSeconds(60);
    private readonly FulfillmentService _service = fixture.Service;

    [Fact]
    public async Task DeliveredOrder_OneEmailWithAccountAndRules_NoPasswordAnywhere()
    {
        var import = await _service.ImportInventoryAsync(1, accountSize: 25000, platform: "mt4");
        var user = _service.NewUser();
        var client = _service.CreateClient(user);
        var order = await _service.CreateOrderAsync(client, "one_step", 25000, "mt4");

        await _service.PayOrderAsync(order.OrderId);
        await _service.WaitForOrderAsync(order.OrderId, deliveryStatus: "delivered");
        await fixture.Sink.WaitForAsync(_ => fixture.MailFor(order.OrderId).Count > 0, MailWait);
        await _service.WaitForWorkflowResultAsync(order.OrderId);

        var mail = Assert.Single(fixture.MailFor(order.OrderId));
        var account = await client.GetFromJsonAsync<JsonElement>($"orders/{order.OrderId}/account");
        var message = mail.Message;
        Assert.Equal(user.Email, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal($"{order.OrderId}.delivered@flashfundx.test", message.MessageId);
        Assert.Contains(order.OrderId, message.Subject, StringComparison.Ordinal);
        var body = message.TextBody;
        Assert.Contains($"Login:           {account.GetProperty("login").GetString()}", body, StringComparison.Ordinal);
        Assert.Contains($"Server:          {account.GetProperty("server").GetString()}", body, StringComparison.Ordinal);
        Assert.Contains("Platform:        MT4", body, StringComparison.Ordinal);
        Assert.Contains("Account size:    25,000 USD", body, StringComparison.Ordinal);
        Assert.Contains($"Starting phase:  {account.GetProperty("phase").GetString()}", body, StringComparison.Ordinal);
        Assert.Contains("Profit target phase 1:  10 %", body, StringComparison.Ordinal);
        Assert.Contains("Max daily drawdown:     4 %", body, StringComparison.Ordinal);
        Assert.Contains("Leverage:               1:100", body, StringComparison.Ordinal);
        var secrets = import.Accounts.SelectMany(a => new[] { a.Password, a.InvestorPassword })
            .Append(account.GetProperty("password").GetString()!)
            .Append(account.GetProperty("investorPassword").GetString()!);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, mail.RawText, StringComparison.Ordinal));
        Assert.DoesNotContain("password", string.Join('\n', message.Headers.Select(h => h.ToString())), StringComparison.OrdinalIgnoreCase);
        var row = await OutboxAsync(order.OrderId, "delivered");
        Assert.Equal(("sent", 1), (row.Status, row.Attempts));
    }

    [Fact]
    public async Task SendActivity_RetriedAfterSent_SendsNothingNew()
    {
        await _service.ImportInventoryAsync(1, accountSize: 5000, platform: "mt5");
        var order = await _service.CreateOrderAsync(_service.CreateClient(_service.NewUser()), "hft", 5000, "mt5");
        await _service.PayOrderAsync(order.OrderId);
        await fixture.Sink.WaitForAsync(_ => fixture.MailFor(order.OrderId).Count > 0, MailWait);
        await _service.WaitForWorkflowResultAsync(order.OrderId);

        using var scope = _service.Services.CreateScope();
        var activities = scope.ServiceProvider.GetRequiredService<NotificationActivities>();
        var request = new OrderEmailRequest(order.OrderId, OrderEmailKind.Delivered);
        var environment = new ActivityEnvironment();
        var again = await environment.RunAsync(() => activities.SendOrderEmailAsync(request));
        var thrice = await environment.RunAsync(() => activities.SendOrderEmailAsync(request));
        // No wait needed: a send returns only once the sink has stored the message and answered 250, so any mail
        // these two runs sent is in the sink by the time they returned.

        Assert.Equal(NotificationActivities.AlreadySent, again.Status);
        Assert.Equal(NotificationActivities.AlreadySent, thrice.Status);
        Assert.Equal($"{order.OrderId}.delivered@flashfundx.test", again.MessageId);
        Assert.Single(fixture.MailFor(order.OrderId));
        Assert.Equal(1, (await OutboxAsync(order.OrderId, "delivered")).Attempts);
    }

    [Fact]
    public async Task SmtpDown_OrderDeliveredAnyway_EmailSentOnceWhenBack()
    {
        await _service.ImportInventoryAsync(1, accountSize: 10000, platform: "mt4");
        var order = await _service.CreateOrderAsync(_service.CreateClient(_service.NewUser()), "two_step", 10000, "mt4");
        await fixture.Sink.StopAsync();
        try
        {
            await _service.PayOrderAsync(order.OrderId);
            var delivered = await _service.WaitForOrderAsync(order.OrderId, orderStatus: "completed", deliveryStatus: "delivered");
            await WaitForOutboxAsync(order.OrderId, r => r.Attempts >= 2);

            Assert.NotNull(delivered.DeliveredAt);
            Assert.Empty(fixture.MailFor(order.OrderId));
            Assert.Equal("pending", (await OutboxAsync(order.OrderId, "delivered")).Status);
        }
        finally
        {
            await fixture.Sink.StartAsync();
        }

        var result = await _service.WaitForWorkflowResultAsync(order.OrderId, TimeSpan.FromSeconds(90));

        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Single(fixture.MailFor(order.OrderId));
        var row = await OutboxAsync(order.OrderId, "delivered");
        Assert.Equal("sent", row.Status);
        Assert.True(row.Attempts >= 3, $"{row.Attempts} attempts");
    }

    [Fact]
    public async Task CancelledOrder_CancelledEmail_NoPaymentTaken()
    {
        var user = _service.NewUser();
        var order = await _service.CreateOrderAsync(_service.CreateClient(user));

        using var cancel = await _service.AdminClient.PostAsJsonAsync($"admin/orders/{order.OrderId}/cancel", new { reason = "customer asked" });
        await fixture.Sink.WaitForAsync(_ => fixture.MailFor(order.OrderId).Count > 0, MailWait);

        var mail = Assert.Single(fixture.MailFor(order.OrderId));
        Assert.Equal($"{order.OrderId}.cancelled@flashfundx.test", mail.Message.MessageId);
        Assert.Contains("has been cancelled", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains("No payment was taken.", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(_service.Admin.Email, mail.RawText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SmtpDisabled_OutboxRowSkipped_NothingSent()
    {
        var order = await _service.CreateOrderAsync(_service.CreateClient(_service.NewUser()));
        var disabled = Options.Create(new SmtpOptions { Enabled = false, From = "FlashFundX <orders@flashfundx.test>" });
        var activities = new NotificationActivities(_service.DataSource, disabled, new SmtpMailSender(disabled), NullLogger<NotificationActivities>.Instance);

        var outcome = await new ActivityEnvironment().RunAsync(() => activities.SendOrderEmailAsync(new OrderEmailRequest(order.OrderId, OrderEmailKind.Expired)));

        Assert.Equal(NotificationActivities.Skipped, outcome.Status);
        var row = await OutboxAsync(order.OrderId, "expired");
        Assert.Equal(("skipped", 0), (row.Status, row.Attempts));
        Assert.DoesNotContain(fixture.MailFor(order.OrderId), m => m.Message.MessageId == outcome.MessageId);
    }

    /// <summary>
    /// Issue 24: a users row whose e-mail is no plain address (stored before the API refused such tokens) never becomes
    /// a recipient: the e-mail is recorded as failed with its reason at once, not retried, and a later run sends nothing.
    /// </summary>
    [Fact]
    public async Task CancelledOrder_StoredEmailNotOneAddress_RecordedFailedWithReason_NothingSentNorRetried()
    {
        var user = _service.NewUser();
        var order = await _service.CreateOrderAsync(_service.CreateClient(user));
        await _service.QueryAsync<int>("UPDATE users SET email = @email WHERE id = @id RETURNING 1", new { email = $"{user.Email}, attacker@evil.test", id = user.Id });

        using var cancel = await _service.AdminClient.PostAsJsonAsync($"admin/orders/{order.OrderId}/cancel", new { reason = "customer asked" });
        await WaitForOutboxAsync(order.OrderId, r => r.Status == NotificationActivities.Failed);
        var result = await _service.WaitForWorkflowResultAsync(order.OrderId);
        using var scope = _service.Services.CreateScope();
        var again = await new ActivityEnvironment().RunAsync(() => scope.ServiceProvider.GetRequiredService<NotificationActivities>()
            .SendOrderEmailAsync(new OrderEmailRequest(order.OrderId, OrderEmailKind.Cancelled)));

        Assert.Equal(OrderStatus.Cancelled, result.OrderStatus);
        Assert.Equal(NotificationActivities.Failed, again.Status);
        var row = (await _service.QueryAsync<(string Status, int Attempts, string? LastError)>(
            "SELECT status, attempts, last_error FROM email_outbox WHERE order_id = @orderId", new { orderId = order.OrderId })).Single();
        Assert.Equal((NotificationActivities.Failed, 0, NotificationActivities.InvalidRecipientReason), row);
        Assert.Empty(fixture.MailFor(order.OrderId));
        Assert.DoesNotContain(fixture.Sink.Messages, m => m.RawText.Contains("attacker@evil.test", StringComparison.Ordinal));
    }

    private sealed record OutboxRow(string Status, int Attempts);

    private async Task<OutboxRow> OutboxAsync(string orderId, string kind) =>
        (await _service.QueryAsync<OutboxRow>("SELECT status, attempts FROM email_outbox WHERE order_id = @orderId AND kind = @kind", new { orderId, kind })).Single();

    private async Task WaitForOutboxAsync(string orderId, Func<OutboxRow, bool> done) => await Eventually.WaitAsync(
        () => _service.QueryAsync<OutboxRow>("SELECT status, attempts FROM email_outbox WHERE order_id = @orderId", new { orderId }),
        rows => rows.Count == 1 && done(rows[0]), MailWait, $"the outbox row of {orderId}", TimeSpan.FromMilliseconds(200));
}
