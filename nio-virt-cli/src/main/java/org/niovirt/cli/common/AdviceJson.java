package org.niovirt.cli.common;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.niovirt.api.advice.Advice;

/** The {@code advice} list of {@code plan --format json} and of the dashboard's view. */
public final class AdviceJson {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private AdviceJson() {}

  /** What would unlock a better technology, per NIC, with each change and the re-plan's proof. */
  public static ArrayNode of(List<Advice> advice) {
    ArrayNode array = JSON.arrayNode();
    for (Advice a : advice) {
      ObjectNode node = array.addObject().put("nic", a.nicIndex()).put("from", a.from().id())
          .put("unlocks", a.unlocks().id()).put("proof", a.proof());
      ArrayNode remedies = node.putArray("remedies");
      a.remedies().forEach(r -> {
        ObjectNode remedy = remedies.addObject().put("change", r.change()).put("how", r.how())
            .put("reboot", r.reboot()).put("firmware", r.firmware());
        r.risk().ifPresentOrElse(risk -> remedy.put("risk", risk), () -> remedy.putNull("risk"));
      });
    }
    return array;
  }
}
