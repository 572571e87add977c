package org.niovirt.api.model;

/** The PCI class of a network function (class code 0x02ssxx). */
public enum NetworkClass {
  ETHERNET, TOKEN_RING, FDDI, ATM, ISDN, WORLDFIP, PICMG, INFINIBAND, FABRIC, OTHER;

  /** Maps a 24-bit PCI class code; callers only pass codes whose base class is 0x02. */
  public static NetworkClass fromClassCode(int classCode) {
    switch ((classCode >> 8) & 0xff) {
      case 0x00: return ETHERNET;
      case 0x01: return TOKEN_RING;
      case 0x02: return FDDI;
      case 0x03: return ATM;
      case 0x04: return ISDN;
      case 0x05: return WORLDFIP;
      case 0x06: return PICMG;
      case 0x07: return INFINIBAND;
      case 0x08: return FABRIC;
      default: return OTHER;
    }
  }

  public static boolean isNetworkClass(int classCode) {
    return (classCode >> 16) == 0x02;
  }
}
