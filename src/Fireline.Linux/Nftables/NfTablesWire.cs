namespace Fireline.Linux.Nftables;

/// <summary>
/// nf_tables' message types and attribute numbers (linux/netfilter/nf_tables.h, nfnetlink.h). Every integer
/// attribute of nf_tables is big-endian (NLA_BE32/NLA_BE64) unless said otherwise.
/// </summary>
internal static class NfTablesWire
{
    public const byte SubsystemId = 10; // NFNL_SUBSYS_NFTABLES
    public const ushort BatchBegin = 16; // NFNL_MSG_BATCH_BEGIN (NLMSG_MIN_TYPE)
    public const ushort BatchEnd = 17; // NFNL_MSG_BATCH_END

    // enum nf_tables_msg_types
    public const byte NewTable = 0;
    public const byte GetTable = 1;
    public const byte DelTable = 2;
    public const byte NewChain = 3;
    public const byte GetChain = 4;
    public const byte DelChain = 5;
    public const byte NewRule = 6;
    public const byte GetRule = 7;
    public const byte DelRule = 8;
    public const byte NewSet = 9;
    public const byte GetSet = 10;
    public const byte DelSet = 11;
    public const byte NewSetElem = 12;
    public const byte GetSetElem = 13;
    public const byte DelSetElem = 14;
    public const byte GetGen = 16;

    /// <summary>The nlmsghdr type of an nf_tables message: subsystem in the high byte, message in the low.</summary>
    public static ushort Type(byte message) => (ushort)((SubsystemId << 8) | message);

    /// <summary>The nf_tables message number of a received message's type.</summary>
    public static byte Message(ushort type) => (byte)(type & 0xff);

    // enum nft_table_attributes
    public const ushort TableName = 1;
    public const ushort TableFlags = 2;
    public const ushort TableUserdata = 6;

    // enum nft_chain_attributes
    public const ushort ChainTable = 1;
    public const ushort ChainHandle = 2;
    public const ushort ChainName = 3;
    public const ushort ChainHook = 4;
    public const ushort ChainPolicy = 5;
    public const ushort ChainType = 7;

    // enum nft_hook_attributes
    public const ushort HookNumber = 1;
    public const ushort HookPriority = 2;

    // enum nft_rule_attributes
    public const ushort RuleTable = 1;
    public const ushort RuleChain = 2;
    public const ushort RuleHandle = 3;
    public const ushort RuleExpressions = 4;
    public const ushort RuleUserdata = 7;

    // enum nft_list_attributes, enum nft_expr_attributes
    public const ushort ListElement = 1;
    public const ushort ExpressionName = 1;
    public const ushort ExpressionData = 2;

    // enum nft_set_attributes
    public const ushort SetTable = 1;
    public const ushort SetName = 2;
    public const ushort SetFlags = 3;
    public const ushort SetKeyType = 4;
    public const ushort SetKeyLength = 5;
    public const ushort SetDataType = 6;
    public const ushort SetDataLength = 7;
    public const ushort SetDescription = 9;
    public const ushort SetId = 10;
    public const ushort SetUserdata = 13;

    // enum nft_set_desc_attributes, enum nft_set_field_attributes
    public const ushort SetDescriptionConcat = 2;
    public const ushort SetFieldLength = 1;

    // enum nft_set_flags
    public const uint SetFlagConstant = 0x2;
    public const uint SetFlagInterval = 0x4;
    public const uint SetFlagMap = 0x8;
    public const uint SetFlagConcat = 0x80;

    // enum nft_set_elem_list_attributes, enum nft_set_elem_attributes, enum nft_set_elem_flags
    public const ushort ElementListTable = 1;
    public const ushort ElementListSet = 2;
    public const ushort ElementListElements = 3;
    public const ushort ElementKey = 1;
    public const ushort ElementData = 2;
    public const ushort ElementFlags = 3;
    public const uint ElementFlagIntervalEnd = 0x1;

    // enum nft_data_attributes, enum nft_verdict_attributes
    public const ushort DataValue = 1;
    public const ushort DataVerdict = 2;
    public const ushort VerdictCode = 1;
    public const ushort VerdictChain = 2;

    /// <summary>NFT_DATA_VERDICT: the data type of a verdict map.</summary>
    public const uint DataTypeVerdict = 0xffffff00;
}
