using Bunit;
using CoreConsole.Application.Common.Paging;
using CoreConsole.Application.Features.Inventory;
using CoreConsole.Web.Features.Inventory;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using NSubstitute;

namespace CoreConsole.Web.ComponentTests.Inventory;

/// <summary>The devices grid asks the server for one page at a time and passes filters and sorting through.</summary>
public sealed class DevicesGridTests : BunitContext
{
    private readonly ISender _sender = Substitute.For<ISender>();
    private readonly List<ListDevicesQuery> _queries = [];
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public DevicesGridTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(_sender);
        Services.AddSingleton(TimeProvider.System);
        var subnet = new SubnetChoice(Guid.NewGuid(), "10.0.1.0/24", "Lab 1");
        _sender.Send(Arg.Any<ListInventoryFacetsQuery>(), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<InventoryFacets>(new InventoryFacets([subnet], ["macOS"])));
        _sender.Send(Arg.Any<ListModelsQuery>(), Arg.Any<CancellationToken>())
            .Returns(new ValueTask<IReadOnlyList<ModelCount>>([new ModelCount("MacBookPro14,1", 2), new ModelCount("iMac18,3", 1)]));
        _sender.Send(Arg.Any<ListDevicesQuery>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var q = call.Arg<ListDevicesQuery>();
            lock (_queries) _queries.Add(q);
            // A server with 100,000 devices: the grid only ever receives the page it asked for.
            var rows = Enumerable.Range(q.Page * q.PageSize, q.PageSize).Select(i => Row(i, q.Model ?? (i % 2 == 0 ? "MacBookPro14,1" : "iMac18,3"))).ToList();
            return new ValueTask<Paged<DeviceRow>>(new Paged<DeviceRow>(rows, 100_000, q.Page, q.PageSize));
        });
    }

    private static DeviceRow Row(int i, string model) => new(
        Guid.NewGuid(), $"mac-{i:D6}", model, "macOS", "10.15.7", $"C02{i:D8}", null, $"10.0.{i % 250}.{i % 200 + 1}/24",
        i == 0 ? Now : Now.AddHours(-2), Guid.NewGuid(), "1.0.0", false, 60, i == 1 ? "10.0.1.0/24" : null, null);

    private ListDevicesQuery LastQuery { get { lock (_queries) return _queries[^1]; } }

    [Fact]
    public void It_shows_only_the_first_page_with_the_total_and_links_each_device_to_its_detail_page()
    {
        var grid = Render<DevicesGrid>();
        grid.WaitForAssertion(() => grid.FindAll("#devices-grid tbody tr").Count.ShouldBe(25));
        LastQuery.Page.ShouldBe(0);
        LastQuery.PageSize.ShouldBe(25);
        grid.Markup.ShouldContain("mac-000000");
        grid.Markup.ShouldNotContain("mac-000025");
        grid.FindAll(".mud-table-pagination-caption").ShouldContain(p => p.TextContent.Contains("1-25 of 100,000")); // pager total from the server
        grid.FindAll("a.device-link")[0].GetAttribute("href")!.ShouldStartWith("inventory/devices/");
        grid.Markup.ShouldContain("Rep 10.0.1.0/24");
    }

    [Fact]
    public void Sorting_by_a_column_asks_the_server_to_sort()
    {
        var grid = Render<DevicesGrid>();
        grid.WaitForAssertion(() => grid.FindAll("#devices-grid tbody tr").Count.ShouldBe(25));
        var modelHeader = grid.FindAll("th").First(th => th.TextContent.Contains("Model"));
        modelHeader.QuerySelector(".sortable-column-header")!.Click();
        grid.WaitForAssertion(() => LastQuery.Sort.ShouldBe(DeviceSort.Model));
    }

    [Fact]
    public void An_initial_model_filter_is_sent_with_the_first_query()
    {
        var grid = Render<DevicesGrid>(p => p.Add(g => g.InitialModel, "iMac18,3"));
        grid.WaitForAssertion(() => grid.FindAll("#devices-grid tbody tr").Count.ShouldBe(25));
        LastQuery.Model.ShouldBe("iMac18,3");
        grid.FindAll("#devices-grid tbody tr").ShouldAllBe(tr => tr.TextContent.Contains("iMac18,3"));
    }

    [Fact]
    public async Task Typing_a_search_reloads_from_the_server_with_the_search_text()
    {
        var grid = Render<DevicesGrid>();
        grid.WaitForAssertion(() => grid.FindAll("#devices-grid tbody tr").Count.ShouldBe(25));
        var search = grid.FindComponents<MudTextField<string>>().First();
        await grid.InvokeAsync(() => search.Instance.ValueChanged.InvokeAsync("C02000"));
        grid.WaitForAssertion(() => LastQuery.Search.ShouldBe("C02000"));
    }
}
