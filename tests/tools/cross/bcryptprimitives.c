/* ProcessPrng for Wine releases that lack bcryptprimitives.dll (Wine 8.0, Debian 12's).
 *
 * Rust's standard library (1.78 and later) asks Windows for random bytes through
 * bcryptprimitives.dll!ProcessPrng, which every supported Windows (10 and later) has. Wine
 * added that DLL only after 8.0, so an unmodified Rust program does not start there. The
 * Windows smoke test (smoke.sh) places this stand-in beside gpforge.exe; it fills the buffer
 * from advapi32!SystemFunction036 (RtlGenRandom), which Wine 8 implements. It is never shipped:
 * the gpforge.exe under test is the one users get, byte for byte. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG n = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        length -= n;
    }
    return TRUE;
}
