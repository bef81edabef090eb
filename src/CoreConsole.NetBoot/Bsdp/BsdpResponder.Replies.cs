using System.Buffers.Binary;
using CoreConsole.NetBoot.Dhcp;

namespace CoreConsole.NetBoot.Bsdp;

// Reply encoding: ACK[LIST] (§6.2, §6.4), ACK[SELECT] and ACK[FAILED] (§6.3).
public sealed partial class BsdpResponder
{
    private const byte VendorSpecific = DhcpOptionCode.VendorSpecific;

    private BsdpDecision HandleList(in DhcpPacketReader packet, in BsdpVendorOptions bsdp, in BsdpClient client,
        BsdpCompiledCatalog catalog, Span<byte> buffer, ushort replyPort)
    {
        var defaultImage = catalog.DefaultFor(client, applyFilter: true);
        if (defaultImage is null) return BsdpDecision.Drop(BsdpDropReason.NoEligibleImage);

        int maxPayload = MaxReplyPayload(packet, bsdp, buffer.Length);
        var w = new DhcpPacketWriter(buffer[..maxPayload]);
        WriteReplyHeader(ref w, packet, _options.ServerAddressInListSiaddr ? _serverAddress : 0);
        WriteCommonOptions(ref w);

        int o43 = w.BeginOption(VendorSpecific);
        w.WriteOption(BsdpOptionCode.MessageType, (byte)BsdpMessageType.List);
        w.WriteOptionUInt16(BsdpOptionCode.ServerPriority, CurrentPriority);
        w.WriteOptionUInt32(BsdpOptionCode.DefaultBootImage, defaultImage.Id);
        // Option 8 only for a bound client whose image it may still see (field case 9).
        if (_bindings.TryGetImage(client.Mac, out uint bound) && IsListed(catalog, client, bound))
            w.WriteOptionUInt32(BsdpOptionCode.SelectedBootImage, bound);

        int listed = 0;
        bool truncated = false;
        if (bsdp.Version != BsdpVersion.V1_0) // 1.0 clients get no image list
        {
            int limit = maxPayload - 1; // room for End
            int o9 = -1;
            foreach (var image in catalog.Images)
            {
                if (!image.IsEligible(client, applyFilter: true)) continue;
                var d = image.Description;
                int need = d.Length + (o9 < 0 ? 2 : 0);
                if (w.Position - o43 - 2 + need <= 255 && w.Position + need <= limit)
                {
                    if (o9 < 0) o9 = w.BeginOption(BsdpOptionCode.BootImageList);
                    w.WriteBytes(d);
                    listed++;
                    continue;
                }
                // Close this option 43; continue in a fresh one holding only option 9 (never split a description).
                w.EndOption(o9);
                w.EndOption(o43);
                o9 = -1;
                if (w.Position + 4 + d.Length > limit)
                {
                    o43 = -1;
                    truncated = true;
                    break;
                }
                o43 = w.BeginOption(VendorSpecific);
                o9 = w.BeginOption(BsdpOptionCode.BootImageList);
                w.WriteBytes(d);
                listed++;
            }
            w.EndOption(o9);
        }
        w.EndOption(o43);
        return Finish(ref w, packet, replyPort, BsdpReplyKind.List, defaultImage.Id, listed, truncated);
    }

    private static bool IsListed(BsdpCompiledCatalog catalog, in BsdpClient client, uint id)
    {
        foreach (var image in catalog.Images)
        {
            if (image.Id == id) return image.IsEligible(client, applyFilter: true);
        }
        return false;
    }

    private BsdpDecision HandleSelect(in DhcpPacketReader packet, in BsdpVendorOptions bsdp, in BsdpClient client,
        BsdpCompiledCatalog catalog, Span<byte> buffer, ushort replyPort)
    {
        if (bsdp.ServerIdentifier is not uint serverId) return BsdpDecision.Drop(BsdpDropReason.SelectWithoutServerIdentifier);
        if (serverId != _serverAddress)
        {
            // The client chose another server: our binding is stale (Apple deletes it too).
            _bindings.Remove(client.Mac);
            return BsdpDecision.Drop(BsdpDropReason.SelectForOtherServer);
        }

        // Attributes filter is not re-checked on SELECT (Apple); an absent option 8 means "your default".
        var image = bsdp.SelectedBootImage is uint id ? catalog.FindEligible(client, id) : catalog.DefaultFor(client, applyFilter: true);
        int arch = image?.ArchitectureIndex(client.Architecture) ?? -1;
        var bootFile = image is not null && arch >= 0 ? image.BootFiles[arch] : null;
        if (image is null || bootFile is null
            || _options.BootFileExists?.Invoke(image.Source, image.ArchitectureNames[arch]) == false)
            return Failed(packet, buffer, replyPort, bsdp.SelectedBootImage ?? 0);

        int machineNumber = _bindings.Bind(client.Mac, image.Id, packet.Ciaddr, _options.TimeProvider.GetUtcNow());

        var w = new DhcpPacketWriter(buffer[..MaxReplyPayload(packet, bsdp, buffer.Length)]);
        WriteReplyHeader(ref w, packet, _serverAddress);
        var header = w.Written;
        bootFile.CopyTo(header[DhcpLayout.File..]);
        _hostName.CopyTo(header[DhcpLayout.Sname..]);
        WriteCommonOptions(ref w);
        if (image.RootPath is { } rootPath) w.WriteOption(DhcpOptionCode.RootPath, rootPath);

        int o43 = w.BeginOption(VendorSpecific);
        w.WriteOption(BsdpOptionCode.MessageType, (byte)BsdpMessageType.Select);
        w.WriteOptionUInt32(BsdpOptionCode.SelectedBootImage, image.Id);
        Span<byte> name = stackalloc byte[24];
        "NetBoot"u8.CopyTo(name);
        machineNumber.TryFormat(name[7..], out int digits, "D3");
        w.WriteOption(BsdpOptionCode.MachineName, name[..(7 + digits)]);
        w.EndOption(o43);
        return Finish(ref w, packet, replyPort, BsdpReplyKind.Select, image.Id, 0, false);
    }

    private BsdpDecision Failed(in DhcpPacketReader packet, Span<byte> buffer, ushort replyPort, uint imageId)
    {
        var w = new DhcpPacketWriter(buffer);
        WriteReplyHeader(ref w, packet, _options.ServerAddressInListSiaddr ? _serverAddress : 0);
        WriteCommonOptions(ref w);
        int o43 = w.BeginOption(VendorSpecific);
        w.WriteOption(BsdpOptionCode.MessageType, (byte)BsdpMessageType.Failed);
        w.EndOption(o43);
        return Finish(ref w, packet, replyPort, BsdpReplyKind.Failed, imageId, 0, false);
    }

    /// <summary>Request header with op=2 and xid/flags/ciaddr/giaddr/chaddr kept; hops, secs, yiaddr, sname, file cleared.</summary>
    private static void WriteReplyHeader(ref DhcpPacketWriter w, in DhcpPacketReader packet, uint siaddr)
    {
        w.WriteHeader(DhcpLayout.BootReply, packet.Packet[..DhcpLayout.Sname]);
        if (w.Overflowed) return;
        var h = w.Written;
        h[DhcpLayout.Hops] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(h[DhcpLayout.Secs..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(h[DhcpLayout.Yiaddr..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(h[DhcpLayout.Siaddr..], siaddr);
    }

    /// <summary>53 = ACK, 54 = us, 60 = "AAPLBSDPC" (BSDPClient rejects anything else).</summary>
    private void WriteCommonOptions(ref DhcpPacketWriter w)
    {
        w.WriteOption(DhcpOptionCode.MessageType, (byte)DhcpMessageType.Ack);
        w.WriteOptionUInt32(DhcpOptionCode.ServerIdentifier, _serverAddress);
        w.WriteOption(DhcpOptionCode.VendorClassIdentifier, BsdpVendorClass.Prefix);
    }

    private static BsdpDecision Finish(ref DhcpPacketWriter w, in DhcpPacketReader packet, ushort replyPort,
        BsdpReplyKind kind, uint imageId, int listed, bool truncated)
    {
        w.WriteByte(DhcpOptionCode.End);
        w.PadTo(DhcpLayout.MinReplyLength);
        if (w.Overflowed) return BsdpDecision.Drop(BsdpDropReason.ReplyBufferTooSmall);
        return new BsdpDecision(kind, BsdpDropReason.None, w.Position, packet.Ciaddr, replyPort, imageId, listed, truncated);
    }
}
