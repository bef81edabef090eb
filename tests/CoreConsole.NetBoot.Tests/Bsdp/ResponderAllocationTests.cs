using CoreConsole.NetBoot.Bsdp;
using static CoreConsole.NetBoot.Tests.TestSupport.BsdpTestPackets;

namespace CoreConsole.NetBoot.Tests.Bsdp;

/// <summary>The packet path (parse + decide + encode) must not allocate once warm: the benchmark budget is 0 B/request.</summary>
public class ResponderAllocationTests
{
    [Theory]
    [InlineData("list")]
    [InlineData("select")]
    [InlineData("dropped")]
    public void Handles_requests_without_allocating(string kind)
    {
        var catalog = new BootCatalog([NetInstall864, Image(865, "Second"), Image(866, "Third", models: ["iMac18,3"])],
            ModelMapping.Create(865, [KeyValuePair.Create("MacBookPro14,1", (ushort)864)]));
        var responder = new BsdpResponder(Options(), catalog);
        var request = kind switch
        {
            "list" => Request(BaseOpts + " " + StartupDiskList),
            "select" => Request(BaseOpts + " " + Select864),
            _ => Request(BaseOpts + " 2b 05 01 01 01 02 02"),
        };
        var buffer = new byte[8192];
        for (int i = 0; i < 100; i++) responder.Handle(request, buffer); // warm up (JIT, first binding)

        long before = GC.GetAllocatedBytesForCurrentThread();
        BsdpDecision decision = default;
        for (int i = 0; i < 1000; i++) decision = responder.Handle(request, buffer);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        decision.HasReply.ShouldBe(kind != "dropped");
        allocated.ShouldBe(0);
    }
}
