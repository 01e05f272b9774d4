package dev.colony.cache;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BloomShapeTest {

  @Test
  void murmur3MatchesTheReferenceVectors() {
    // MurmurHash3_x64_128, seed 0, as published with the reference implementation (and Guava's tests).
    assertThat(Murmur3.hash128(bytes("The quick brown fox jumps over the lazy dog")))
      .containsExactly(0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L);
    assertThat(Murmur3.hash128(bytes("The quick brown fox jumps over the lazy cog")))
      .containsExactly(0x658ca970ff85269aL, 0x43fee3eaa68e5c3eL);
    assertThat(Murmur3.hash128(bytes("hell"))).containsExactly(0x629942693e10f867L, 0x92db0b82baeb5347L);
    assertThat(Murmur3.hash128(bytes("hello"))).containsExactly(0xcbd8a7b341bd9b02L, 0x5b1e906a48ae1d19L);
    assertThat(Murmur3.hash128(bytes("123456789012345"))).containsExactly(0x887001aea2afcfd6L, 0x1ec326364f0801b3L);
    assertThat(Murmur3.hash128(bytes("1234567890123456"))).containsExactly(0x4fbe5dc5c0e32cf8L, 0xc0c8e96b60c322c1L);
    assertThat(Murmur3.hash128(bytes("12345678901234567"))).containsExactly(0x748617968026b77eL, 0x291e6386473f7103L);
    assertThat(Murmur3.hash128(new byte[0])).containsExactly(0L, 0L);
  }

  @Test
  void theBlacklistShapeIsTheTextbookOne() {
    BloomShape s = BloomShape.of(0.001, 1_000_000);
    // m = ceil(-n ln p / ln(2)^2), k = round(m / n ln 2)
    assertThat(s.bits()).isEqualTo(14_377_588L);
    assertThat(s.hashes()).isEqualTo(10);
    assertThat(BloomShape.of(0.01, 100_000).bits()).isEqualTo(958_506L);
    assertThat(BloomShape.of(0.01, 100_000).hashes()).isEqualTo(7);
  }

  @Test
  void positionsAreDeterministicInRangeAndDistinctPerItem() {
    BloomShape s = BloomShape.of(0.01, 1000);
    long[] a = s.positions("token-1");
    assertThat(a).hasSize(s.hashes()).containsExactly(s.positions("token-1"));
    for (long p : a) {
      assertThat(p).isBetween(0L, s.bits() - 1);
    }
    assertThat(s.positions("token-2")).isNotEqualTo(a);
  }

  @Test
  void outOfRangeParametersAreRefusedNamingTheProblem() {
    assertThatThrownBy(() -> BloomShape.of(0, 10)).hasMessageContaining("error rate");
    assertThatThrownBy(() -> BloomShape.of(1, 10)).hasMessageContaining("error rate");
    assertThatThrownBy(() -> BloomShape.of(-0.1, 10)).hasMessageContaining("error rate");
    assertThatThrownBy(() -> BloomShape.of(Double.NaN, 10)).hasMessageContaining("error rate");
    assertThatThrownBy(() -> BloomShape.of(0.01, 0)).hasMessageContaining("capacity");
    assertThatThrownBy(() -> BloomShape.of(0.01, -5)).hasMessageContaining("capacity");
    assertThatThrownBy(() -> BloomShape.of(0.001, 1_000_000_000_000L)).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("bits");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
